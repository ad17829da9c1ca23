// Layer 1 (pure rules, no I/O): may import nothing outside itself.
export * from './monitoring-state';
export * from './policy';
export * from './transition';
export * from './schedule';
export * from './priority';
export * from './evaluate';
export * from './pricing';
export * from './flapping';
export * from './reachability';
export * from './uptime';
