// The Node host: runs a RuntimeSession inside a worker_thread (tests, the CLI).
import { parentPort } from 'node:worker_threads';
import { RuntimeSession } from './session.ts';

if (!parentPort) throw new Error('node-worker.ts must run inside a worker_thread');
const port = parentPort;
const session = new RuntimeSession((message, transfer) => port.postMessage(message, transfer as never));
port.on('message', (data) => void session.handle(data));
