// Lets a benchmark run route handlers outside Next without the react-server condition (which
// would load React's server build, where Next's navigation module cannot create its contexts):
// `server-only` resolves to an empty module, as it does in Vitest.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier === 'server-only') return { url: 'data:text/javascript,export {}', format: 'module', shortCircuit: true };
        return next(specifier, context);
      }
    `),
);
