export * from './client';
export * from './temporal-client.module';
export * from './search-attributes';
