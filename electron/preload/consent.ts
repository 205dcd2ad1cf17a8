/** The consent window's preload: `window.mynaConsent`, the consent channels of the IPC contract. */
import { exposeBridge } from './expose.ts';

exposeBridge('consent');
