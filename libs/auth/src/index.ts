export * from './dev-key';
export * from './tokens';
