import { ApiProperty } from '@nestjs/swagger';

export class RegionResponse {
  @ApiProperty({ example: 'AFR' }) code: string;
  @ApiProperty({ example: 'Africa' }) name: string;
  @ApiProperty({ example: 44 }) countryCount: number;
}

export class CountryResponse {
  @ApiProperty({ example: 'KE' }) code: string;
  @ApiProperty({ example: 'KEN' }) iso3: string;
  @ApiProperty({ example: 'Kenya' }) name: string;
  @ApiProperty({ example: 'AFR' }) regionCode: string;
  @ApiProperty({ example: 'Africa/Nairobi' }) timezone: string;
  @ApiProperty() ituMember: boolean;
}
