import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
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

/** A person the provider signs in (its authorization endpoint asks no questions: the test chose them). */
export interface ProviderPerson {
  sub: string;
  name: string;
  groups: string[];
}

/** A client registered at the provider: the web app, with its redirect URI and (confidential) secret. */
export interface ProviderClient {
  clientId: string;
  secret?: string;
  redirectUri: string;
}

interface IssuedCode {
  client: ProviderClient;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  person: ProviderPerson;
  used: boolean;
}

const REALM = '/realms/kk';

/**
 * A stand-in OIDC identity provider on loopback: it publishes a discovery document and a JWKS
 * whose keys a test can rotate, signs tokens as the municipality's provider would (RS256, groups
 * claim), and runs the authorization code flow with PKCE (S256) for registered clients: its
 * authorization endpoint signs in the person the test chose (`signInAs`) and redirects back with a
 * code; its token endpoint takes each code once, from its client, with the verifier whose hash
 * came with the authorization request. Each refusal is kept in `refusals`.
 */
export class IdentityProviderStandIn {
  readonly audience = 'buf-sagsflow';
  private published: JWK[] = [];
  private current!: { kid: string; keys: KeyPair };
  private readonly clients = new Map<string, ProviderClient>();
  private readonly codes = new Map<string, IssuedCode>();
  private person: ProviderPerson | undefined;
  /** Why the token endpoint refused, in order (for tests that check a refusal came from here). */
  readonly refusals: string[] = [];

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
    server.on('request', (req, res) => {
      idp.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await idp.rotate('key-1');
    return idp;
  }

  /** The issuer is where the provider is: its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  get issuer(): string {
    const scheme = this.caFile ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}${REALM}`;
  }

  get jwksUrl(): string {
    return `${this.issuer}/protocol/openid-connect/certs`;
  }

  registerClient(client: ProviderClient): void {
    this.clients.set(client.clientId, client);
  }

  /** The person the authorization endpoint signs in from now on. */
  signInAs(person: ProviderPerson): void {
    this.person = person;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === `${REALM}/.well-known/openid-configuration`) {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${this.issuer}/protocol/openid-connect/token`,
        jwks_uri: this.jwksUrl,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
        scopes_supported: ['openid', 'profile'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === `${REALM}/protocol/openid-connect/auth` && req.method === 'GET') return this.authorize(url, res);
    if (url.pathname === `${REALM}/protocol/openid-connect/token` && req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await this.token(new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.headers.authorization);
      return json(answer.status, answer.body);
    }
    json(200, { keys: this.published });
  }

  /** The authorization endpoint: the chosen person is signed in at once, and the browser goes back with a code. */
  private authorize(url: URL, res: http.ServerResponse): void {
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    const client = this.clients.get(q('client_id') ?? '');
    const refuse = (why: string) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(why);
    };
    // Never redirect to an address the client did not register (an open redirector would leak codes).
    if (!client || q('redirect_uri') !== client.redirectUri) return refuse('unknown client or redirect_uri');
    if (q('response_type') !== 'code') return refuse('response_type must be code');
    if (!q('scope')?.split(' ').includes('openid')) return refuse('scope must include openid');
    if (q('code_challenge_method') !== 'S256' || !q('code_challenge')) return refuse('PKCE with S256 is required');
    if (!this.person) return refuse('no person chosen (signInAs)');
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { client, redirectUri: client.redirectUri, challenge: q('code_challenge') as string, nonce: q('nonce'), person: this.person, used: false });
    const back = new URL(client.redirectUri);
    back.searchParams.set('code', code);
    if (q('state') !== undefined) back.searchParams.set('state', q('state') as string);
    back.searchParams.set('iss', this.issuer);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /** The token endpoint: one use per code, the client that asked for it, and the verifier of its challenge. */
  private async token(form: URLSearchParams, authorization: string | undefined): Promise<{ status: number; body: unknown }> {
    const refuse = (status: number, error: string, why: string) => {
      this.refusals.push(why);
      return { status, body: { error, error_description: why } };
    };
    let clientId = form.get('client_id') ?? undefined;
    let secret: string | undefined;
    if (authorization?.startsWith('Basic ')) {
      const [id, pass] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id);
      secret = decodeURIComponent(pass ?? '');
    }
    const client = this.clients.get(clientId ?? '');
    if (!client || (client.secret !== undefined && client.secret !== secret)) return refuse(401, 'invalid_client', 'client authentication failed');
    if (form.get('grant_type') !== 'authorization_code') return refuse(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    const issued = this.codes.get(form.get('code') ?? '');
    if (!issued) return refuse(400, 'invalid_grant', 'unknown code');
    if (issued.used) return refuse(400, 'invalid_grant', 'code already used');
    // A code is presented once, whatever comes of it (RFC 6749 § 4.1.2).
    issued.used = true;
    if (issued.client.clientId !== client.clientId) return refuse(400, 'invalid_grant', 'code issued to another client');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return refuse(400, 'invalid_grant', 'PKCE verification failed');
    const { person } = issued;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: 300,
        access_token: await this.sign({ name: person.name, groups: person.groups }, { sub: person.sub }),
        id_token: await this.sign({ name: person.name, ...(issued.nonce !== undefined ? { nonce: issued.nonce } : {}), azp: client.clientId }, { sub: person.sub, aud: client.clientId }),
      },
    };
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
