using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Switchboard.Platform.Web;

/// <summary>
/// Describes <see cref="RequestBody"/> types in the OpenAPI document as clients send them: each
/// <see cref="Optional{T}"/> member as its value's schema (which may be null: a merge patch clears with null), and no
/// members beyond the declared ones (the API answers 400 naming any other).
/// </summary>
public static class RequestBodySchemas
{
    public static void Describe(OpenApiOptions options)
    {
        var defaultReferenceId = options.CreateSchemaReferenceId;
        // Optional<T> is only a wrapper: inline it, so no "OptionalOfstring" component appears.
        options.CreateSchemaReferenceId = type => IsOptional(type.Type) ? null : defaultReferenceId(type);
        options.AddSchemaTransformer(async (schema, context, ct) =>
        {
            if (!typeof(RequestBody).IsAssignableFrom(context.JsonTypeInfo.Type)) return;
            schema.AdditionalPropertiesAllowed = context.JsonTypeInfo.Type.IsDefined(typeof(OpenMembersAttribute), inherit: true);
            schema.AdditionalProperties = null;
            foreach (var member in context.JsonTypeInfo.Properties)
            {
                if (!IsOptional(member.PropertyType) || schema.Properties is null) continue;
                var valueType = member.PropertyType.GetGenericArguments()[0];
                schema.Properties[member.Name] = valueType == typeof(JsonElement) || valueType == typeof(JsonElement?)
                    ? new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null }
                    : Nullable(await context.GetOrCreateSchemaAsync(valueType, null, ct));
            }
        });
    }

    /// <summary>The value's schema, also allowing null; numbers only as JSON numbers (the body reader takes no numeric strings).</summary>
    private static IOpenApiSchema Nullable(IOpenApiSchema value)
    {
        if (value is not OpenApiSchema { Type: { } type } schema) return value;
        if ((type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            type &= ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        schema.Type = type | JsonSchemaType.Null;
        return schema;
    }

    private static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);
}

/// <summary>
/// Marks a <see cref="RequestBody"/> whose further members are declared at run time, not by the type (a telephony
/// provider's settings, by the route's provider): the OpenAPI document allows other members. The service still
/// reports every member it does not know.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpenMembersAttribute : Attribute;
