// Lets a child process `require` TypeScript sources directly (compiled in memory with swc, as
// jest does), so the load test runs the simulator from source without a build step.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  sourceMaps: 'inline',
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
