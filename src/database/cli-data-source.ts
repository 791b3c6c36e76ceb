// Entry point for the TypeORM CLI (`npm run migration:*`), run on the compiled output.
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig, loadDotEnv } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';

loadDotEnv();

export default new DataSource({
  ...dataSourceOptions(loadConfig()),
  entities: [join(import.meta.dirname, '..', '**', '*.entity.js')],
});
