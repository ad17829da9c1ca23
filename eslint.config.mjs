import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'test-artifacts/**',
      '**/.angular/**',
      'frontend/src/app/core/api/openapi.gen.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration through AppConfig (backend/src/config); only the config loader reads process.env.',
        },
      ],
    },
  },
  {
    files: [
      'backend/src/config/**/*.ts',
      'backend/test/**/*.ts',
      'backend/scripts/**/*.ts',
      'backend/src/main.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
