import { generateKeyPair } from 'jose';
import { IdentityProviderStandIn } from '../../../test/support/identity-provider';
import { OidcVerifier } from './oidc';
import { InvalidTokenError } from './tokens';

describe('OIDC bearer tokens against the issuer JWKS', () => {
  let idp: IdentityProviderStandIn;
  let verifier: OidcVerifier;

  beforeAll(async () => {
    idp = await IdentityProviderStandIn.start();
    verifier = new OidcVerifier(
      { issuer: idp.issuer, audience: idp.audience, jwksUrl: idp.jwksUrl, groupsClaim: 'groups', roleMapping: { 'BUF-GDPR': 'gdpr', 'BUF-Jura': 'jurist' } },
      { cooldownMs: 0 },
    );
  });

  afterAll(async () => {
    await idp?.stop();
  });

  it('given a valid token, when verified, then the groups map to roles and unknown groups are dropped', async () => {
    const actor = await verifier.verify(await idp.sign({ name: 'Gitte Hansen', groups: ['BUF-GDPR', 'Alle-ansatte'], unit: 'GDPR-funktionen' }));
    expect(actor).toEqual({ sub: 'u-1001', name: 'Gitte Hansen', roles: ['gdpr'], unit: 'GDPR-funktionen' });
  });

  it('given tokens that are forged, expired, for another audience, from another issuer or malformed, when verified, then each is refused', async () => {
    const bad = await idp.badTokens();
    expect(bad).toHaveLength(7);
    for (const [, token] of bad) await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('given groups named like the properties of every object, when verified, then they map to no role', async () => {
    const actor = await verifier.verify(await idp.sign({ groups: ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'BUF-Jura'] }));
    expect(actor.roles).toEqual(['jurist']);
  });

  it("given ID tokens of a sign-in, when verified for the web app's client and the sign-in's nonce, then only the one for this client with this nonce is accepted", async () => {
    const expected = { clientId: 'buf-web', nonce: 'n-1' };
    await expect(verifier.verifyIdToken(await idp.sign({ nonce: 'n-1' }, { aud: 'buf-web' }), expected)).resolves.toEqual({ sub: 'u-1001' });
    await expect(verifier.verifyIdToken(await idp.sign({ nonce: 'n-2' }, { aud: 'buf-web' }), expected)).rejects.toThrow(/nonce/);
    await expect(verifier.verifyIdToken(await idp.sign({}, { aud: 'buf-web' }), expected)).rejects.toThrow(/nonce/);
    await expect(verifier.verifyIdToken(await idp.sign({ nonce: 'n-1' }, { aud: 'another-client' }), expected)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verifyIdToken(await idp.sign({ nonce: 'n-1' }, { aud: 'buf-web', iss: 'https://evil.example/realms/kk' }), expected)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verifyIdToken(await idp.sign({ nonce: 'n-1' }, { aud: 'buf-web', key: await generateKeyPair('RS256') }), expected)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('given a token typed as an RFC 9068 access token (at+jwt), when verified, then it is accepted', async () => {
    expect((await verifier.verify(await idp.sign({ groups: ['BUF-Jura'] }, { typ: 'at+jwt' }))).roles).toEqual(['jurist']);
  });

  it('given the provider rotates its signing key, when a token with the new key id arrives, then the JWKS is fetched again and it is accepted', async () => {
    await idp.rotate('key-2');
    const actor = await verifier.verify(await idp.sign({ groups: ['BUF-Jura'] }));
    expect(actor.roles).toEqual(['jurist']);
  });
});
