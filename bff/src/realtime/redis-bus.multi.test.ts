import { createLogger } from '../logger.js';
import { describeBusContract } from '../testing/bus-contract.js';
import { requireServices } from '../testing/multi-instance.js';
import { createRedisBus } from './redis-bus.js';

// Two buses on two connections pairs: what two BFF instances have.
describeBusContract('redis', async () => {
  const { redisUrl } = requireServices();
  const logger = createLogger('silent');
  const a = createRedisBus(redisUrl, logger);
  const b = createRedisBus(redisUrl, logger);
  return {
    a,
    b,
    close: async () => {
      await a.close();
      await b.close();
    },
  };
});
