import { afterAll } from 'vitest';
import { stopLeftoverServices } from '../helpers/child';

// After each test file, whatever its tests did: no service it spawned outlives it.
afterAll(stopLeftoverServices, 60_000);
