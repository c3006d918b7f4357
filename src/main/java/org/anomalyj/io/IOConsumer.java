package org.anomalyj.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}, for code that writes files. */
@FunctionalInterface
public interface IOConsumer<T> {

	void accept(T t) throws IOException;
}
