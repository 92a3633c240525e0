import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { OidcVerifier } from './oidc';
import { InvalidTokenError } from './tokens';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A stand-in identity provider: a JWKS endpoint on loopback whose keys the test can rotate. */
describe('OIDC bearer tokens against the issuer JWKS', () => {
  const issuer = 'https://login.example.dk/realms/kk';
  const audience = 'buf-sagsflow';
  let server: http.Server;
  let published: JWK[] = [];
  let current: { kid: string; keys: KeyPair };
  let verifier: OidcVerifier;

  async function newKey(kid: string) {
    const keys = await generateKeyPair('RS256');
    return { kid, keys, jwk: { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }

  function sign(claims: Record<string, unknown>, options: { key?: KeyPair; kid?: string; iss?: string; aud?: string; exp?: string | number } = {}) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? current.kid })
      .setSubject('u-1001')
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign((options.key ?? current.keys).privateKey);
  }

  beforeAll(async () => {
    const first = await newKey('key-1');
    current = first;
    published = [first.jwk];
    server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new OidcVerifier(
      { issuer, audience, jwksUrl: `http://127.0.0.1:${port}/certs`, groupsClaim: 'groups', roleMapping: { 'BUF-GDPR': 'gdpr', 'BUF-Jura': 'jurist' } },
      { cooldownMs: 0 },
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('given a valid token, when verified, then the groups map to roles and unknown groups are dropped', async () => {
    const actor = await verifier.verify(await sign({ name: 'Gitte Hansen', groups: ['BUF-GDPR', 'Alle-ansatte'], unit: 'GDPR-funktionen' }));
    expect(actor).toEqual({ sub: 'u-1001', name: 'Gitte Hansen', roles: ['gdpr'], unit: 'GDPR-funktionen' });
  });

  it.each([
    ['forged (signed with another key under the same key id)', async () => sign({}, { key: (await generateKeyPair('RS256')) })],
    ['expired', async () => sign({}, { exp: Math.floor(Date.now() / 1000) - 120 })],
    ['for another audience', async () => sign({}, { aud: 'another-service' })],
    ['from another issuer', async () => sign({}, { iss: 'https://evil.example/realms/kk' })],
    ['malformed', async () => 'not.a.jwt'],
  ])('given a token that is %s, when verified, then it is refused', async (_label, make) => {
    await expect(verifier.verify(await make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('given the provider rotates its signing key, when a token with the new key id arrives, then the JWKS is fetched again and it is accepted', async () => {
    const next = await newKey('key-2');
    published = [...published, next.jwk];
    current = next;
    const actor = await verifier.verify(await sign({ groups: ['BUF-Jura'] }));
    expect(actor.roles).toEqual(['jurist']);
  });
});
