package io.hindsight.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, the schema's registry id as 4 bytes big-endian, then the
 * Avro binary encoding of the datum.
 */
final class WireFormat {
  static final byte MAGIC = 0;
  static final int HEADER_BYTES = 5;

  private WireFormat() {}

  static void writeHeader(ByteBuffer out, int schemaId) {
    out.put(MAGIC).putInt(schemaId);
  }

  /** Reads the header and returns the schema id; {@code in} is left at the Avro payload. */
  static int readHeader(ByteBuffer in, String topic) {
    if (in.remaining() < HEADER_BYTES) {
      throw new SerializationException(
          "record on "
              + topic
              + " has "
              + in.remaining()
              + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id)");
    }
    byte magic = in.get();
    if (magic != MAGIC) {
      throw new SerializationException(
          "record on "
              + topic
              + " starts with byte "
              + magic
              + ", not the magic byte 0 of the Confluent wire format: was it written by another"
              + " serializer?");
    }
    return in.getInt();
  }
}
