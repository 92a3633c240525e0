import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

export interface SignOptions {
  /** Sign with another private key under the current key id (a forgery). */
  key?: KeyPair;
  kid?: string;
  iss?: string;
  aud?: string;
  sub?: string;
  /** null: a token without an expiry. */
  exp?: string | number | null;
  /** The `typ` header (default JWT). */
  typ?: string;
}

/** A self-signed certificate for 127.0.0.1 (Debian's openssl), and the file a client trusts it by (NODE_EXTRA_CA_CERTS). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer; caFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buf-idp-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  const caFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', caFile,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile), caFile };
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

  /** With TLS: the certificate file a client must trust (NODE_EXTRA_CA_CERTS). */
  readonly caFile: string | undefined;

  private constructor(
    private readonly server: http.Server,
    caFile?: string,
  ) {
    this.caFile = caFile;
  }

  /** Plain HTTP by default; `tls` serves the JWKS over https as a production provider does. */
  static async start(options: { tls?: boolean } = {}): Promise<IdentityProviderStandIn> {
    const tls = options.tls ? selfSignedCertificate() : undefined;
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer();
    const idp = new IdentityProviderStandIn(server, tls?.caFile);
    server.on('request', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: idp.published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await idp.rotate('key-1');
    return idp;
  }

  get jwksUrl(): string {
    const scheme = this.caFile ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  }

  /** Publishes a new signing key beside the old ones and signs with it from now on. */
  async rotate(kid: string): Promise<void> {
    const keys = await generateKeyPair('RS256');
    this.published = [...this.published, { ...(await exportJWK(keys.publicKey)), kid, alg: 'RS256', use: 'sig' }];
    this.current = { kid, keys };
  }

  sign(claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? this.current.kid, typ: options.typ ?? 'JWT' })
      .setSubject(options.sub ?? 'u-1001')
      .setIssuer(options.iss ?? this.issuer)
      .setAudience(options.aud ?? this.audience)
      .setIssuedAt();
    if (options.exp !== null) jwt.setExpirationTime(options.exp ?? '5m');
    return jwt.sign((options.key ?? this.current.keys).privateKey);
  }

  /** Tokens the service must refuse, each with what is wrong with it. */
  async badTokens(): Promise<[string, string][]> {
    return [
      ['forged (another key under the same key id)', await this.sign({}, { key: await generateKeyPair('RS256') })],
      ['expired', await this.sign({}, { exp: Math.floor(Date.now() / 1000) - 120 })],
      ['for another audience', await this.sign({}, { aud: 'another-service' })],
      ['from another issuer', await this.sign({}, { iss: 'https://evil.example/realms/kk' })],
      ['malformed', 'not.a.jwt'],
      ['without an expiry', await this.sign({}, { exp: null })],
      ['a logout token (typ logout+jwt)', await this.sign({}, { typ: 'logout+jwt' })],
    ];
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The environment of the service as a municipality runs it: NODE_ENV=production, this provider's
 * tokens (trusted over https), the given group-to-role mapping and configured payload keys.
 */
export function productionEnv(idp: IdentityProviderStandIn, roleMapping: Record<string, string>, keys: { id: string; key: string }): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    ...(idp.caFile ? { NODE_EXTRA_CA_CERTS: idp.caFile } : {}),
    AUTH_ISSUER: idp.issuer,
    AUTH_AUDIENCE: idp.audience,
    AUTH_JWKS_URL: idp.jwksUrl,
    AUTH_ROLE_MAPPING: JSON.stringify(roleMapping),
    PAYLOAD_ENCRYPTION_KEYS: JSON.stringify({ [keys.id]: keys.key }),
    PAYLOAD_ENCRYPTION_KEY_ID: keys.id,
  };
}
