export { loadOrCreateLocalSecret as loadOrCreateDevSecret } from '../../config/src/local-secret';
export * from './tokens';
export * from './oidc';
