import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SignOptions {
  /** Sign with another private key under the current key id (a forgery). */
  key?: KeyPair;
  kid?: string;
  iss?: string;
  aud?: string;
  sub?: string;
  exp?: string | number;
}

/**
 * A stand-in OIDC identity provider on loopback: it publishes a JWKS whose keys a test can
 * rotate, and signs tokens as the municipality's provider would (RS256, groups claim).
 */
export class IdentityProviderStandIn {
  readonly issuer = 'https://login.example.dk/realms/kk';
  readonly audience = 'buf-sagsflow';
  private published: JWK[] = [];
  private current!: { kid: string; keys: KeyPair };

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<IdentityProviderStandIn> {
    const server = http.createServer();
    const idp = new IdentityProviderStandIn(server);
    server.on('request', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: idp.published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await idp.rotate('key-1');
    return idp;
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  }

  /** Publishes a new signing key beside the old ones and signs with it from now on. */
  async rotate(kid: string): Promise<void> {
    const keys = await generateKeyPair('RS256');
    this.published = [...this.published, { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }];
    this.current = { kid, keys };
  }

  sign(claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.current.kid })
      .setSubject(options.sub ?? 'u-1001')
      .setIssuer(options.iss ?? this.issuer)
      .setAudience(options.aud ?? this.audience)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign((options.key ?? this.current.keys).privateKey);
  }

  /** Tokens the service must refuse, each with what is wrong with it. */
  async badTokens(): Promise<[string, string][]> {
    return [
      ['forged (another key under the same key id)', await this.sign({}, { key: await generateKeyPair('RS256') })],
      ['expired', await this.sign({}, { exp: Math.floor(Date.now() / 1000) - 120 })],
      ['for another audience', await this.sign({}, { aud: 'another-service' })],
      ['from another issuer', await this.sign({}, { iss: 'https://evil.example/realms/kk' })],
      ['malformed', 'not.a.jwt'],
    ];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
