// recompute-killed.cases.ts on postgres: one file per database, so the two run on separate workers.
import { describeOn } from './recompute-killed.cases.js';

describeOn('postgres');
