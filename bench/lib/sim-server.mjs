// Child process: the upstream, an OpenAI-wire simulator (@conduit/providers) on
// its own CPU. Prints {"port":…} on stdout once listening; SIGTERM closes it.
import { startSimulator } from '@conduit/providers';

const sim = await startSimulator({ provider: 'openai', port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: sim.port, baseUrl: sim.baseUrl }) + '\n');
process.on('SIGTERM', () => void sim.close().finally(() => process.exit(0)));
