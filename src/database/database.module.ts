import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';
import { prepareDatabase } from './prepare-database.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        await prepareDatabase(config);
        return { ...dataSourceOptions(config), migrations: [], autoLoadEntities: true };
      },
    }),
  ],
})
export class DatabaseModule {}
