import { startService } from '@maestro/runtime';
import { definition } from './service';

startService(definition);
