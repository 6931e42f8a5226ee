package io.github.visitcounter.stack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test of the whole system, run against the one compose stack that
 * {@link ComposeStackExtension} shares between test classes; enabled wherever Docker and
 * Docker Compose are.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIf("io.github.visitcounter.stack.ComposeStack#dockerAvailable")
@ExtendWith(ComposeStackExtension.class)
@interface SystemTest {

}
