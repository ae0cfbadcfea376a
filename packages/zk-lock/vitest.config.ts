import { project } from '../../vitest.shared.ts';

export default project('zk-lock', { server: true });
