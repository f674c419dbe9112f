export * from './campaigns';
export * from './contacts';
export * from './messages';
export * from './senders';
export * from './stats';
export * from './users';
export * from './views';
export * from './webhooks';
