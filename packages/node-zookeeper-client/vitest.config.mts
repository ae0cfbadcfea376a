import { project } from '../../vitest.shared.ts';

export default project('node-zookeeper-client', { server: true });
