import { install } from './ws-bridge.ts';

install('consent');
