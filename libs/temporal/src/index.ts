export * from './client';
export * from './temporal-client.module';
