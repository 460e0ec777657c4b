// `node --import tektite/register app.ts`: registers the TypeScript hooks of ts-hooks.ts, so a
// plugin's tests run straight from source (what `tektite init` scaffolds).
import { register } from 'node:module';

register('./ts-hooks.js', import.meta.url);
