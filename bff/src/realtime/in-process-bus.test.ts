import { describeBusContract } from '../testing/bus-contract.js';
import { createInProcessBus } from './in-process-bus.js';

describeBusContract('in-process', async () => {
  const bus = createInProcessBus();
  return { a: bus, b: bus, close: () => bus.close() };
});
