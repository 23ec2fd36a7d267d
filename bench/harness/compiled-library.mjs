// `node --import tsx --import ./bench/harness/compiled-library.mjs ...`: see compiled-library-hooks.mjs.
import { register } from 'node:module';

register('./compiled-library-hooks.mjs', import.meta.url);
