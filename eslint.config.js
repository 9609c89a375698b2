import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Dependencies are used as published: no module reached through its private paths. */
const sdkAsPublished = {
  group: ['botbuilder*/lib/**', 'botframework-*/lib/**', 'botbuilder*/src/**'],
  message: 'Importer le paquet publié (son index), pas ses fichiers internes.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/', 'public/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }],
      'no-restricted-imports': ['error', { patterns: [sdkAsPublished] }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:worker_threads',
              message: 'Le domaine ne lance pas de threads : voir src/language/.',
            },
          ],
          patterns: [
            {
              group: ['botbuilder*', 'restify*', '**/dialogs/**', '**/cards/**'],
              message: 'Le domaine reste indépendant du Bot Framework (voir DESIGN.md, "Platform risk").',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cards/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            sdkAsPublished,
            {
              group: ['botbuilder*'],
              message: 'Les cartes sont du JSON : les dialogues les emballent (CardFactory).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
