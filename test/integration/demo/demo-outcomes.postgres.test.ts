// demo-outcomes.cases.ts on postgres: one file per database, so the two run on separate workers.
import { describeOn } from './demo-outcomes.cases.js';

describeOn('postgres');
