// echo-all: echoes every kind of param back as results, byte for byte. It exercises each param
// type (string, boolean, integer, enum, array, object, secret) and each result type.
import { defineStep, param, result, workspace } from 'tektite/sdk';

export default defineStep({
  name: 'echo-all',
  description: 'Echo every param back as results, byte for byte.',
  image: 'ghcr.io/tektite-dev/echo-all:0.1.0',
  params: {
    text: param.string({ description: 'Echoed to the text result as is.' }),
    shout: param.boolean({ description: 'Also log the text in upper case.', default: false }),
    count: param.integer({ description: 'How many times to log the text.', default: 1, min: 0, max: 100 }),
    level: param.enum(['quiet', 'normal', 'loud'], { description: 'How much to log.', default: 'normal' }),
    items: param.array({ description: 'Echoed to the items result.', default: [] }),
    meta: param.object({ description: 'Echoed to the meta result.', properties: ['a', 'b'], default: { a: '1', b: '2' } }),
    token: param.string({ description: 'A secret; only its length is reported.', secret: true, default: '' }),
  },
  results: {
    text: result.string({ description: 'The text param, unchanged.' }),
    items: result.array({ description: 'The items param, unchanged.' }),
    meta: result.object({ description: 'The meta param, unchanged.', properties: ['a', 'b'] }),
    summary: result.string({ description: 'shout, count, level and the token length.' }),
  },
  workspaces: {
    output: workspace({ description: 'When bound, the text is also written to echo.txt here.', optional: true }),
  },
  async run({ params, workspaces, log }) {
    if (params.level !== 'quiet') {
      for (let i = 0; i < params.count; i++) log.info(params.shout ? params.text.toUpperCase() : params.text);
      log.info(`token: ${params.token}`);
    }
    if (workspaces.output.bound) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${workspaces.output.path}/echo.txt`, params.text);
    }
    return {
      text: params.text,
      items: params.items,
      meta: params.meta,
      summary: `shout=${params.shout} count=${params.count} level=${params.level} token-length=${params.token.length}`,
    };
  },
});
