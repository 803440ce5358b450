package io.forgeone.api.capability;

import io.forgeone.api.engine.FunctionSignature;
import java.util.Objects;

/**
 * One function a provider offers.
 *
 * @param name the import field name, for example {@code get}
 * @param signature its WebAssembly type
 * @param capability what a policy must grant for it: {@link #FUNCTIONS} (the call by name, in
 *     {@code grants.functions} as {@code module.name}) or {@link #NET} (a {@code grants.net} entry matching the
 *     {@code host} and {@code port} the function's {@code describe} decodes)
 */
public record ProvidedFunction(String name, FunctionSignature signature, String capability) {

    /** Granted by name: {@code functions: [forge:kv.get]}. */
    public static final String FUNCTIONS = "functions";

    /** Granted per destination: a {@code net} grant whose host (or CIDR) and ports match the call's. */
    public static final String NET = "net";

    public ProvidedFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(capability, "capability");
        if (!capability.equals(FUNCTIONS) && !capability.equals(NET)) {
            throw new IllegalArgumentException("capability of " + name + " is '" + capability + "'; expected "
                    + FUNCTIONS + " or " + NET);
        }
    }
}
