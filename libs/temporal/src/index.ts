export * from './client';
export * from './connection-options';
export * from './temporal-client.module';
export * from './search-attributes';
export * from './encryption-codec';
export * from './data-converter';
