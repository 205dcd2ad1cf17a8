import { install } from './ws-bridge.ts';

install('portal');
