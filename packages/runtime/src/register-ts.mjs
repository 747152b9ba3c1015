// Lets plain Node run the workspace's TypeScript (the CLI's bin, worker threads): tsx compiles
// it, and the "@hgrad/source" export condition resolves workspace packages to their sources, as
// .npmrc's node-options does for everything npm runs. A packed @hgrad/engine needs neither.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
const CONDITION = '@hgrad/source';
const hook = `export async function resolve(specifier, context, next) {
  const { conditions } = context;
  return next(specifier, conditions.includes('${CONDITION}') ? context : { ...context, conditions: [...conditions, '${CONDITION}'] });
}`;
registerHooks(`data:text/javascript,${encodeURIComponent(hook)}`);
