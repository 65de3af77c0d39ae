import { z } from 'zod';
import { roles } from './values.js';

export const roleSchema = z.enum(roles);
