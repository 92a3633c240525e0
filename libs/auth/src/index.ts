export { loadOrCreateLocalSecret as loadOrCreateDevSecret } from '@buf/config/local-secret';
export * from './tokens';
export * from './oidc';
