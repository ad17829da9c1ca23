export * from './monitoring-state';
export * from './policy';
export * from './transition';
export * from './schedule';
export * from './priority';
export * from './evaluate';
export * from './pricing';
