// The linter: typescript-eslint's recommended rules (syntax only: a typed lint would double the
// time `npm test` takes), a warning on long functions, and the floors of docs/architecture.md
// (which folder may import which, read by scripts/layers.mjs as the architecture test reads them:
// the editor shows a wrong import at once; the test also finds circles and the wall clock).
import { dirname, relative, resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importProblem, packageProblem, readFloors } from './scripts/layers.mjs';

const root = import.meta.dirname;
const floors = readFloors(root);
const layers = {
  rules: {
    floors: {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const file = relative(root, context.filename).split('\\').join('/');
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string') return;
          const problem = spec.startsWith('.')
            ? importProblem(
                floors,
                file,
                relative(root, resolve(dirname(context.filename), spec))
                  .split('\\')
                  .join('/'),
              )
            : packageProblem(floors, file, spec);
          if (problem) context.report({ node, message: problem });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'reports/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // MLLP framing and HL7 acknowledgements are made of control characters.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'machines/**/*.ts', 'scripts/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/floors': 'error' },
  },
  {
    files: ['src/**/*.ts', 'machines/**/*.ts', 'public/**/*.js'],
    rules: { 'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tests read JSON answers of any shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        location: 'readonly',
        history: 'readonly',
        WebSocket: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        console: 'readonly',
        Chart: 'readonly',
        navigator: 'readonly',
        Blob: 'readonly',
        FormData: 'readonly',
        HTMLElement: 'readonly',
        Event: 'readonly',
        CustomEvent: 'readonly',
        requestAnimationFrame: 'readonly',
        sessionStorage: 'readonly',
        localStorage: 'readonly',
        addEventListener: 'readonly',
        matchMedia: 'readonly',
        print: 'readonly',
        confirm: 'readonly',
        Intl: 'readonly',
        CSS: 'readonly',
      },
    },
  },
  {
    // The dashboard puts markup on the page only through lit-html's templates, which put every
    // value in as text or as an attribute's value: no HTML string is assembled by hand.
    files: ['public/**/*.js'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...[
          ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment'].map((property) => ({
            property,
          })),
          ...['write', 'writeln'].map((property) => ({ object: 'document', property })),
        ].map((p) => ({ ...p, message: 'Build markup with a lit-html template (html`...`), which escapes values.' })),
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(unsafe-[a-z]+|static)\\.js$',
              message: "lit-html's unsafe directives and unsafeStatic put strings on the page as markup.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
