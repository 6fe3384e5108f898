// recompute-killed.cases.ts on pglite: one file per database, so the two run on separate workers.
import { describeOn } from './recompute-killed.cases.js';

describeOn('pglite');
