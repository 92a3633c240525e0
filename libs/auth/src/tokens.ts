import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { type Actor, isRole } from '@buf/domain';

export const DEV_ISSUER = 'buf-sagsflow-dev';
export const DEV_AUDIENCE = 'buf-sagsflow';

export interface TokenClaims {
  sub: string;
  name: string;
  roles: string[];
  unit?: string;
  area?: string;
}

export class InvalidTokenError extends Error {}

export async function mintDevToken(secret: Uint8Array, claims: TokenClaims, ttl = '12h'): Promise<string> {
  return new SignJWT({ name: claims.name, roles: claims.roles, ...(claims.unit ? { unit: claims.unit } : {}), ...(claims.area ? { area: claims.area } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(secret);
}

/** Verifies a dev token and turns its claims into an Actor; unknown roles are dropped. */
export async function verifyDevToken(secret: Uint8Array, token: string): Promise<Actor> {
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'], typ: 'JWT', requiredClaims: ['exp'] });
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('The token has no subject');
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    return {
      sub: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : payload.sub,
      roles: roles.filter(isRole),
      ...(typeof payload.unit === 'string' ? { unit: payload.unit } : {}),
      ...(typeof payload.area === 'string' ? { area: payload.area } : {}),
    };
  } catch (err) {
    if (err instanceof InvalidTokenError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The token has expired');
    throw new InvalidTokenError('The token is not valid');
  }
}
