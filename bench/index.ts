// npm run bench [-- --quick]: benchmarks that compare homemade-grad with peers in the same run.
// Speed is reported here as figures and ratios, never asserted in tests.
import { benchEngine } from './engine.ts';
import { benchTraining } from './training.ts';

const quick = process.argv.includes('--quick');
console.log(`homemade-grad benchmarks — Node ${process.version}, ${quick ? 'quick' : 'full'} settings`);
await benchEngine(quick);
await benchTraining(quick);
