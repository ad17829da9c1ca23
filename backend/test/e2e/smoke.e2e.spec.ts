describe('smoke', () => {
  it('probe', async () => {
    const gb = (process as any).getBuiltinModule;
    console.log('gbm', typeof gb);
    const M = gb('node:module');
    const r = M.createRequire(__filename);
    const c = r('@nestjs/common');
    console.log('ok', Object.keys(c).length);
  });
});
