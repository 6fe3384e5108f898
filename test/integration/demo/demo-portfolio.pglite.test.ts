// demo-portfolio.cases.ts on pglite: one file per database, so the two run on separate workers.
import { describeOn } from './demo-portfolio.cases.js';

describeOn('pglite');
