package org.gatehouse.store.internal.repo;

import static org.gatehouse.store.internal.repo.RepositoryQueries.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.cayenne.exp.Expression;
import org.apache.cayenne.query.Ordering;
import org.apache.cayenne.query.SortOrder;
import org.gatehouse.api.model.Device;
import org.gatehouse.api.model.DeviceKind;
import org.gatehouse.api.model.Direction;
import org.gatehouse.api.model.Validation;
import org.gatehouse.api.service.DeviceRepository;
import org.gatehouse.api.service.NotFoundException;
import org.gatehouse.api.service.Scope;
import org.gatehouse.store.internal.CayenneStore;
import org.gatehouse.store.internal.model.BuildingRow;
import org.gatehouse.store.internal.model.DeviceRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

@Component(service = DeviceRepository.class)
public class DeviceRepositoryImpl implements DeviceRepository {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final CayenneStore store;

    @Activate
    public DeviceRepositoryImpl(@Reference CayenneStore store) {
        this.store = store;
    }

    @Override
    public RegisteredDevice register(Scope scope, String communityId, String buildingId, String gate, String name,
                                     DeviceKind kind, Direction direction) {
        Validation.requireText(communityId, "communityId");
        scope(scope).check(communityId);
        Device device = new Device(newId(), communityId, buildingId, gate, name, kind, direction);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return store.write(context -> {
            requireCommunity(context, scope, communityId);
            if (buildingId != null) {
                BuildingRow building = require(context, BuildingRow.class, buildingId, scope, "building");
                if (!communityId.equals(building.str("communityId"))) {
                    throw new NotFoundException("building", buildingId);
                }
            }
            DeviceRow row = context.newObject(DeviceRow.class);
            row.set("id", device.id()).set("communityId", communityId).set("buildingId", buildingId)
                    .set("gate", device.gate()).set("name", device.name()).set("kind", kind.name())
                    .set("direction", direction.name()).set("tokenHash", hash(token)).set("createdAt", now());
            context.commitChanges();
            return new RegisteredDevice(device, token);
        });
    }

    @Override
    public List<Device> devices(Scope scope, String communityId) {
        return store.read(context -> {
            Expression where = inCommunity(context, scope, communityId);
            return select(DeviceRow.class, where).orderBy(new Ordering("gate", SortOrder.ASCENDING),
                    new Ordering("name", SortOrder.ASCENDING)).select(context).stream()
                    .map(DeviceRepositoryImpl::device).toList();
        });
    }

    @Override
    public Optional<Device> device(Scope scope, String id) {
        return store.read(context -> find(context, DeviceRow.class, id, scope).map(DeviceRepositoryImpl::device));
    }

    @Override
    public Optional<Device> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(token);
        return store.read(context -> Optional.ofNullable(
                select(DeviceRow.class, eq("tokenHash", hash)).selectFirst(context)).map(DeviceRepositoryImpl::device));
    }

    @Override
    public void remove(Scope scope, String id) {
        store.write(context -> {
            context.deleteObject(require(context, DeviceRow.class, id, scope, "device"));
            context.commitChanges();
            return null;
        });
    }

    static String hash(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    static Device device(DeviceRow row) {
        return new Device(row.str("id"), row.str("communityId"), row.str("buildingId"), row.str("gate"),
                row.str("name"), enumValue(DeviceKind.class, row.str("kind")),
                enumValue(Direction.class, row.str("direction")));
    }
}
