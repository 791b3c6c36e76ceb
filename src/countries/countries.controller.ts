import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi.js';
import { Roles } from '../auth/access.decorators.js';
import { ANY_ROLE } from '../auth/roles.js';
import { CountryCodePipe } from './country-code.pipe.js';
import { CountriesService } from './countries.service.js';
import { CountriesQuery, LanguageQuery } from './dto/countries.query.js';
import { CountryResponse, RegionResponse } from './dto/country.response.js';

@ApiTags('reference data')
@ApiBearerAuth()
@Roles(...ANY_ROLE)
@Controller()
export class CountriesController {
  constructor(private readonly countries: CountriesService) {}

  @ApiOperation({ summary: 'The ITU regions with their country counts' })
  @ApiProblems(400, 401)
  @Get('regions')
  @ApiOkResponse({ type: [RegionResponse] })
  listRegions(@Query() query: LanguageQuery): Promise<RegionResponse[]> {
    return this.countries.listRegions(query.lang);
  }

  @ApiOperation({ summary: 'Countries, in a language, optionally of one region' })
  @ApiProblems(400, 401)
  @Get('countries')
  @ApiOkResponse({ type: [CountryResponse] })
  listCountries(@Query() query: CountriesQuery): Promise<CountryResponse[]> {
    return this.countries.listCountries(query.lang, query.region);
  }

  @ApiOperation({ summary: 'One country' })
  @ApiProblems(400, 401, 404)
  @Get('countries/:code')
  @ApiOkResponse({ type: CountryResponse })
  getCountry(
    @Param('code', CountryCodePipe) code: string,
    @Query() query: LanguageQuery,
  ): Promise<CountryResponse> {
    return this.countries.getCountry(code, query.lang);
  }
}
