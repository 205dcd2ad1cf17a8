/** The portal window's preload: `window.myna`, the portal channels of the IPC contract. */
import { exposeBridge } from './expose.ts';

exposeBridge('portal');
