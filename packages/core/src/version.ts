/** The engine's version, printed in every result so a run can be reproduced. Kept equal to package.json by a test. */
export const ENGINE_VERSION = '0.1.0';
export const ENGINE_NAME = 'entente';
