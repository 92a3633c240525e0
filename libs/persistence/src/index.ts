export * from './case-store';
export * from './data-source';
export * from './entities';
export * from './outbox-store';
export * from './persistence.module';
export * from './statistics-store';
