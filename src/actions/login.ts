/** Entry point of the `login` action: log in (main), remove the credentials again (post). */
import { runAction } from '../github/run.js';
import { loginStep, logoutStep } from './steps/login.js';

void runAction({ main: async (log) => void (await loginStep(log)), post: logoutStep });
