/** What each area's OpenAPI module exports (loosely typed: the document is plain JSON). */
export interface OpenApiModule {
  /** keys are full paths in OpenAPI form, e.g. `/api/agreements/{id}` */
  paths: Record<string, Record<string, unknown>>;
  /** component schemas, referenced as `#/components/schemas/<Name>` */
  schemas: Record<string, unknown>;
  /** tags used by the module's operations */
  tags?: Array<{ name: string; description?: string }>;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON response in the shape every route uses. */
export const json = (description: string, schema: unknown) => ({ description, content: { 'application/json': { schema } } });

/** The standard error answer for a status. */
export const errorResponse = (description: string) => json(description, ref('Error'));

export const bearer = [{ bearerAuth: [] }];

export const idParam = (name = 'id', description = 'ObjectId (24 hex); anything else is answered with 404') => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
});

/** The error answers every authenticated route can give. */
export const authErrors = {
  '401': errorResponse('No, invalid, expired or revoked token'),
  '403': errorResponse('The role may not do this'),
};
